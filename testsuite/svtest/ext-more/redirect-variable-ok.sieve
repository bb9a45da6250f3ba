require ["redirect-dsn", "redirect-deliverby", "variables"];
set "n" "failure";
set "m" "RETURN";
redirect :notify "${n}" :bytimerelative 10 :bymode "${m}" "a@example.com";
