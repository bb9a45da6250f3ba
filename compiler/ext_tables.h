/* ext_tables: how the per-extension tables (ext_*.c) reach the registry.
 *
 * Internal to registry.c and ext_*.c. Each ext_*.c defines one array of
 * reg_def and its length; registry.c lists the arrays once. Shared tag
 * tables live in registry.c. Constant data only.
 */
#ifndef SIEVEC_EXT_TABLES_H
#define SIEVEC_EXT_TABLES_H

#include "registry.h"
#include "source.h"

#define EXT_DEFS(name) \
    extern const reg_def ext_defs_##name[]; \
    extern const size_t ext_ndefs_##name;

EXT_DEFS(core)
EXT_DEFS(actions)
EXT_DEFS(variables)
EXT_DEFS(vacation)
EXT_DEFS(imap4flags)
EXT_DEFS(editheader)
EXT_DEFS(date)
EXT_DEFS(tests)
EXT_DEFS(enotify)
EXT_DEFS(mime)
EXT_DEFS(include)
EXT_DEFS(extlists)
EXT_DEFS(metadata)
EXT_DEFS(vnd)
EXT_DEFS(testsuite)

#undef EXT_DEFS

/* Shared tag tables (registry.c). */
extern const reg_tag reg_tags_match[];       /* :comparator and match types */
extern const reg_tag reg_tags_addrpart[];    /* :all :localpart :domain :user :detail */
extern const reg_tag reg_tags_index[];       /* RFC 5260 6: :index :last */
extern const reg_tag reg_tags_mime_any[];    /* RFC 5703 4: :mime :anychild */
extern const reg_tag reg_tags_mime_opts[];   /* :type :subtype :contenttype :param */
extern const reg_tag reg_tags_fcc[];         /* RFC 8580: :fcc and its companions */
extern const reg_tag reg_tags_modifiers[];   /* RFC 5229 4.1 set modifiers */
/* RFC 6009 (ext_dsn.c) */
extern const reg_tag ext_tags_redirect_dsn[];       /* redirect :notify :ret :bytime* ... */
extern const reg_tag ext_tags_envelope_deliverby[]; /* envelope :zone */
/* The extension an envelope part needs (REG_EXT_CORE for from/to/auth),
 * -1 for an unknown part. */
int ext_dsn_envelope_part(const char *s, size_t len);
/* Reports an unknown part, or one whose extension is not required. */
struct ast_string;
bool ext_dsn_check_envelope_part(struct sema_ctx *ctx, const struct ast_string *s);
bool ext_dsn_check_envelope_zone(struct sema_ctx *ctx, struct ast_node *node);
bool ext_dsn_check_redirect(struct sema_ctx *ctx, struct ast_node *node);
/* RFC 6134 (ext_extlists.c): redirect :list, and the check of list names
 * (the keys of a :list match, redirect :list's argument). */
extern const reg_tag ext_tags_redirect_list[];
struct ast_arg;
bool ext_extlists_check_names(struct sema_ctx *ctx, const struct ast_arg *names);
/* RFC 3339 5.6 date-time. */
bool ext_dsn_rfc3339_ok(const char *s, size_t len);

/* Check hooks (defined next to their tables in ext_*.c). */
struct sema_ctx;
struct ast_node;
reg_check_fn ext_check_require, ext_check_redirect, ext_check_fileinto,
    ext_check_envelope, ext_check_size, ext_check_set, ext_check_string_test,
    ext_check_vacation, ext_check_flags, ext_check_addheader,
    ext_check_deleteheader, ext_check_date, ext_check_duplicate,
    ext_check_notify, ext_check_notify_capability, ext_check_foreverypart,
    ext_check_break, ext_check_extracttext,
    ext_check_include, ext_check_global, ext_check_header_index,
    ext_check_mailbox_names, ext_check_environment, ext_check_spamtest,
    ext_check_from_address, ext_check_specialuse_exists;

/* ext_variables.c: a variable name assigned to (set, global, extracttext). */
struct ast_string;
bool ext_check_variable_name(struct sema_ctx *ctx, const struct ast_string *s);
bool ext_extracttext_deps(struct sema_ctx *ctx, src_span span);

#endif
