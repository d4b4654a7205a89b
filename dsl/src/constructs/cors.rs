//! [`Cors`]: the cross-origin settings REST and HTTP APIs share.

/// Cross-origin settings: browsers on `origins` may call the API.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Cors {
    /// Allowed origins (`*` for any).
    pub origins: Vec<String>,
    /// Allowed methods.
    pub methods: Vec<String>,
    /// Allowed request headers.
    pub headers: Vec<String>,
}

impl Cors {
    /// Any origin, the usual methods and headers.
    pub fn any_origin() -> Self {
        Cors {
            origins: vec!["*".into()],
            methods: ["GET", "POST", "PUT", "DELETE", "OPTIONS"]
                .map(String::from)
                .to_vec(),
            headers: ["Content-Type", "Authorization"].map(String::from).to_vec(),
        }
    }
}
