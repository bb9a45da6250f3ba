require ["include", "fileinto"];
include "stop";
fileinto "after-stop";
