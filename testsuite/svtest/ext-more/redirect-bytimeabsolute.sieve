require "redirect-deliverby";
redirect :bytimeabsolute "2040-01-01T20:00:00-07:00" :bymode "Return" "cellphone@example.com";
