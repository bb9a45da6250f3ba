require ["include", "fileinto"];
include "return";
fileinto "after-return";
