require ["fileinto"];
fileinto "x";
