require ["include", "fileinto"];
fileinto "Global";
include :personal "fileinto-b";
