require ["include", "fileinto"];
fileinto "R1";
return;
fileinto "R2";
