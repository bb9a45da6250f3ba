require ["include", "fileinto"];
fileinto "before-error";
include "rt-error";
fileinto "after-error";
