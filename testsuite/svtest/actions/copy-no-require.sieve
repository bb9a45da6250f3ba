redirect :copy "someone@example.com";
