#ifndef CCURLSHIM_H
#define CCURLSHIM_H

#include <curl/curl.h>

/// Fixed-signature wrappers around libcurl's variadic calls, which Swift cannot call directly.
CURLcode ccurl_setopt_string(CURL *handle, CURLoption option, const char *value);
CURLcode ccurl_setopt_long(CURL *handle, CURLoption option, long value);
CURLcode ccurl_setopt_pointer(CURL *handle, CURLoption option, void *value);
CURLcode ccurl_setopt_slist(CURL *handle, CURLoption option, struct curl_slist *value);
CURLcode ccurl_setopt_read_function(CURL *handle, size_t (*callback)(char *, size_t, size_t, void *));
CURLcode ccurl_getinfo_long(CURL *handle, CURLINFO info, long *value);

#endif
