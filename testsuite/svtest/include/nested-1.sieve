require ["include", "fileinto"];
fileinto "N1-before";
include "nested-2";
fileinto "N1-after";
