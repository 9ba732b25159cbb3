// Linked into the core (--js-library, wasm/bindings.cmake) for size. embind registers
// std::wstring, std::u16string and std::u32string at start-up whether or not anything is bound
// with them, and the registration pulls UTF-16 and UTF-32 encoders and decoders into the JS
// glue. The core binds none of them, so their registration does nothing here. Binding one
// later fails loudly, not silently: embind then reports the type as unbound when it is used.
mergeInto(LibraryManager.library, {
  _embind_register_std_wstring__deps: [],
  _embind_register_std_wstring: function(rawType, charSize, name) {},
});
