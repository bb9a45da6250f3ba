require ["redirect-dsn", "variables"];
set "n" "sometimes";
redirect :notify "${n}" "a@example.com";
