require "redirect-deliverby";
redirect :bymode "notify" "a@example.com";
