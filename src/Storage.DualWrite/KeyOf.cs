namespace Storage.DualWrite;

/// <summary>
/// Builds the <see cref="EntityKey"/> of a keyed read from the caller's argument (validating and normalizing it); false
/// when the argument does not validate. Called only when routing needs the key.
/// </summary>
/// <typeparam name="TArg">The read's argument.</typeparam>
/// <param name="arg">The argument as the caller passed it.</param>
/// <param name="key">The key, when the argument validates.</param>
internal delegate bool KeyOf<in TArg>(TArg arg, out EntityKey key);
