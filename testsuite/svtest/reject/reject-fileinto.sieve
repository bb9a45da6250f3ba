require ["reject", "fileinto"];
reject "No.";
fileinto "Folder";
