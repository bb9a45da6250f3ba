require ["include", "fileinto"];
include "needs-require";
