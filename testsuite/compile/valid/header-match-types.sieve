if header :is "Subject" "exact" { keep; }
if header :contains "Subject" "part" { keep; }
if header :matches "Subject" "*[SPAM]*" { discard; }
if header :matches "Subject" "?ello*w?rld" { keep; }
if header :matches "Subject" "literal \\* and \\?" { keep; }
if header "Subject" "default is :is" { keep; }
