# vnd.dovecot.debug and vnd.dovecot.environment, as sieve-replay shows them.
require ["vnd.dovecot.debug", "vnd.dovecot.environment", "variables"];
debug_log "filtering for ${env.vnd.dovecot.username} on ${env.domain}";
