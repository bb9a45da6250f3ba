require ["environment", "fileinto", "variables"];
if environment :matches "remote-ip" "*" { fileinto "from-${1}"; }
