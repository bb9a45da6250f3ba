require ["reject", "fileinto", "copy"];
fileinto :copy "Folder";
reject "No.";
