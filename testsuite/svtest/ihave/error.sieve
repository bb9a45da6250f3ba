require ["ihave", "fileinto"];
fileinto "before";
error "the script gave up";
fileinto "after";
