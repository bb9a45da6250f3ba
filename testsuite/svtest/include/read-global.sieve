require ["include", "variables", "fileinto"];
global "gv";
fileinto "got-${gv}";
