require ["include", "fileinto"];
include :once "cycle-once-a";
fileinto "CB";
