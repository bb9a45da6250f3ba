require "redirect-deliverby";
redirect :bytrace "a@example.com";
