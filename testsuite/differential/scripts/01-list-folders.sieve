# Folder sorting by List-Id with match variables and modifiers: every list
# gets its own folder, named from the List-Id's leftmost label, lower-cased.
require ["fileinto", "variables"];

if header :matches "List-Id" "*<*.*>*" {
    set :lower "list" "${2}";
    fileinto "Lists.${list}";
    stop;
}
if exists "List-Post" {
    fileinto "Lists.unknown";
    stop;
}
if header :contains ["Precedence", "X-Mailing-List"] ["list", "bulk", "@"] {
    fileinto "Bulk";
}
