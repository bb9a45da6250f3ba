require ["copy", "redirect-deliverby"];
redirect :copy :bytimerelative 600 "cellphone@example.com";
