redirect :copy "a@example.org";
