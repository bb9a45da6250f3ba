require ["imapflags", "fileinto"];
fileinto "x";
