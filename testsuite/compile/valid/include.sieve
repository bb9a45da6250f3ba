require ["include", "variables"];
# RFC 6609 examples.
include :personal "always_allow";
include :global "spam_tests";
include :personal "spam_tests";
include :personal "mailing_lists";
include :once "common";
include :optional :global "site-policy";
include "default-is-personal";
global "test";
global ["test_mailbox", "other"];
set "global.counter" "1";
return;
