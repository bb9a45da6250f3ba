require ["vnd.dovecot.debug", "vnd.dovecot.environment", "variables"];
debug_log "user ${env.vnd.dovecot.username}";
