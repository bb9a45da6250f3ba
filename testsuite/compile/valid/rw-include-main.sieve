require ["include", "variables", "fileinto"];
global "spam_folder";
set "spam_folder" "Junk";
include :global "spam_tests";
include :personal :once "mailing_lists";
include :optional "does-not-exist";
keep;
