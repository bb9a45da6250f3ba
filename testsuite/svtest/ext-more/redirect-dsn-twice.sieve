require ["redirect-dsn", "redirect-deliverby"];
redirect :notify "NEVER" "twice@example.com";
redirect :notify "SUCCESS" :bytimerelative 5 "twice@example.com";
