require ["variables", "fileinto"];
fileinto "local-[${local}]";
