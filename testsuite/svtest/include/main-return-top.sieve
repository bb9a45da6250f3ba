require ["include", "fileinto"];
fileinto "M1";
return;
fileinto "M2";
