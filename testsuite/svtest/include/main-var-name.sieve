require ["include", "variables"];
set "n" "fileinto-a";
include "${n}";
