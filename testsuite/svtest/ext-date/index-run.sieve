require ["index", "fileinto"];
if header :index 2 :is "x-hop" "two" { fileinto "second"; }
if header :index 1 :last :is "x-hop" "three" { fileinto "last"; }
