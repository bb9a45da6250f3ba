require "editheader";
# Tags the message and drops a field, applied by the milter at end of
# message when every recipient agrees (sieve-milter(8)).
addheader "X-Sieve-Tag" "tagged for tina";
deleteheader "X-Remove-Me";
