require ["fileinto", "x-frobnicate"];
fileinto "a";
