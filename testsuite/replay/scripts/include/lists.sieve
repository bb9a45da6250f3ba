require ["include", "variables", "fileinto"];
global "lists_folder";
if not exists "List-Id" {
    return;
}
if header :matches "List-Id" "*<*.lists.example.org>" {
    fileinto "${lists_folder}/${2}";
}
