require ["include", "fileinto"];
include :optional "no-such-script";
include :optional :once "fileinto-a";
fileinto "opt-after";
