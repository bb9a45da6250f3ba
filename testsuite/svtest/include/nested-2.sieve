require ["include", "fileinto"];
fileinto "N2-before";
include "nested-3";
fileinto "N2-after";
