# include (RFC 6609) over the sample messages: a global spam script that
# stops, a personal list script with return, a global variable set here
# and used by an included script, :once and a missing :optional script.
require ["include", "variables", "fileinto"];
global "lists_folder";
set "lists_folder" "Lists";
include :global "spam";
include :personal "lists";
include :once "lists";
include :optional "no-such-script";
if header :contains "subject" "money" {
    fileinto "Money";
}
