require ["vnd.dovecot.environment", "variables"];
set "env.x" "y";
