//! `#[endpoint]`: what a handler's signature asks for, said once. It reads the types of
//! its arguments — `Authorized<P>` (the permission `P`; `Authorized<Hidden<P>>` answers
//! 404 instead of 403) and `Precondition` (`If-Match`) — and writes them into the
//! handler's `#[utoipa::path]` as the `x-planaction` extension, from which the OpenAPI
//! document's security, roles, headers and problems are derived (`openapi::finish`).
//! The compiler checks the signature; nothing else lists who may call what.

use proc_macro::TokenStream;
use quote::quote;
use syn::{FnArg, GenericArgument, ItemFn, PathArguments, Type, parse_macro_input};

/// What one argument's type asks for.
#[derive(Default)]
struct Needs {
    permission: Option<String>,
    hidden: bool,
    if_match: bool,
}

fn last_segment(ty: &Type) -> Option<&syn::PathSegment> {
    match ty {
        Type::Path(path) => path.path.segments.last(),
        _ => None,
    }
}

fn first_type_argument(segment: &syn::PathSegment) -> Option<&Type> {
    match &segment.arguments {
        PathArguments::AngleBracketed(args) => args.args.iter().find_map(|arg| match arg {
            GenericArgument::Type(ty) => Some(ty),
            _ => None,
        }),
        _ => None,
    }
}

fn inspect(ty: &Type, needs: &mut Needs) {
    let Some(segment) = last_segment(ty) else { return };
    match segment.ident.to_string().as_str() {
        "Precondition" => needs.if_match = true,
        "Authorized" => {
            let Some(mut required) = first_type_argument(segment).and_then(last_segment) else {
                return;
            };
            if required.ident == "Hidden" {
                needs.hidden = true;
                match first_type_argument(required).and_then(last_segment) {
                    Some(inner) => required = inner,
                    None => return,
                }
            }
            needs.permission = Some(required.ident.to_string());
        }
        _ => {}
    }
}

#[proc_macro_attribute]
pub fn endpoint(_: TokenStream, item: TokenStream) -> TokenStream {
    let mut function = parse_macro_input!(item as ItemFn);
    let mut needs = Needs::default();
    for input in &function.sig.inputs {
        if let FnArg::Typed(argument) = input {
            inspect(&argument.ty, &mut needs);
        }
    }
    let path = function.attrs.iter_mut().find(|attribute| {
        let segments: Vec<String> = attribute.path().segments.iter().map(|s| s.ident.to_string()).collect();
        segments == ["utoipa", "path"]
    });
    let Some(syn::Attribute {
        meta: syn::Meta::List(list),
        ..
    }) = path
    else {
        return syn::Error::new_spanned(&function.sig.ident, "#[endpoint] goes above #[utoipa::path(…)]")
            .to_compile_error()
            .into();
    };
    let permission = match &needs.permission {
        Some(name) => quote!(#name),
        None => quote!(null),
    };
    let (hidden, if_match) = (needs.hidden, needs.if_match);
    let tokens = &list.tokens;
    list.tokens = quote! {
        #tokens,
        extensions(("x-planaction" = json!({"permission": #permission, "hidden": #hidden, "if_match": #if_match})))
    };
    quote!(#function).into()
}
