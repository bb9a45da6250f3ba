require ["include", "variables", "fileinto"];
fileinto "ns-${global.ns}";
