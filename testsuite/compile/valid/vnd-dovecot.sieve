require ["vnd.dovecot.debug", "vnd.dovecot.environment", "variables"];
if environment :matches "vnd.dovecot.username" "*" {
    debug_log "filtering for ${1}";
}
if string :is "${env.vnd.dovecot.default-mailbox}" "" {
    keep;
}
set "who" "${env.vnd.dovecot.username}";
