require ["redirect-deliverby", "variables"];
set "t" "tomorrow";
redirect :bytimeabsolute "${t}" "a@example.com";
