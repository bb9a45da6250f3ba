require ["fileinto", "variables"];
fileinto "Before-Error";
set "target" "not a valid address";
redirect "${target}";
fileinto "After-Error";
