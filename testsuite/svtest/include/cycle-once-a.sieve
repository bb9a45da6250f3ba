require ["include", "fileinto"];
include :once "cycle-once-b";
fileinto "CA";
