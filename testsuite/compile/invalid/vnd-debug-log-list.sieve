require "vnd.dovecot.debug";
debug_log ["a", "b"];
