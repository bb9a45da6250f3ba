require ["comparator-i;unicode-casemap", "fileinto"];
if header :contains :comparator "i;unicode-casemap" "Subject" "GRÜSSE" { fileinto "Greetings"; }
if header :matches :comparator "i;unicode-casemap" "From" "*josé*" { keep; }
