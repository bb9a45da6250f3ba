fileinto "Folder";
