using System.ComponentModel.DataAnnotations;
using System.Text.Json;

namespace EhrSynth.Generators.Generation;

/// <summary>Validates options once and lists every problem in one error.</summary>
public static class OptionsValidator
{
    /// <summary>
    /// Checks every data-annotation attribute and <see cref="IValidatableObject.Validate"/>; throws one
    /// <see cref="ValidationException"/> whose message lists every problem.
    /// </summary>
    /// <exception cref="ValidationException">At least one property is invalid.</exception>
    public static void Validate(object options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var results = new List<ValidationResult>();
        var context = new ValidationContext(options);
        Validator.TryValidateObject(options, context, results, validateAllProperties: true);

        // TryValidateObject skips IValidatableObject once an attribute fails; run it too so every problem shows.
        if (options is IValidatableObject validatable)
        {
            foreach (var r in validatable.Validate(context))
            {
                if (!results.Any(x => x.ErrorMessage == r.ErrorMessage))
                {
                    results.Add(r);
                }
            }
        }

        if (results.Count > 0)
        {
            var lines = results.Select(r => $"- {string.Join(", ", r.MemberNames.DefaultIfEmpty("(options)"))}: {r.ErrorMessage}");
            throw new ValidationException($"Invalid {options.GetType().Name} ({results.Count} problem{(results.Count == 1 ? "" : "s")}):{Environment.NewLine}{string.Join(Environment.NewLine, lines)}");
        }
    }

    /// <summary>
    /// Validates and returns an independent copy (so later changes to the caller's object have no effect). Properties
    /// that are not serialised (<c>[JsonIgnore]</c>: metric objects, callbacks) are copied by reference.
    /// </summary>
    /// <exception cref="ValidationException">At least one property is invalid.</exception>
    public static TOptions ValidateAndClone<TOptions>(TOptions options)
        where TOptions : class
    {
        Validate(options);
        var type = options.GetType();
        var copy = (TOptions)JsonSerializer.Deserialize(JsonSerializer.Serialize(options, type, GeneratorJson.Options), type, GeneratorJson.Options)!;
        foreach (var property in type.GetProperties(System.Reflection.BindingFlags.Public | System.Reflection.BindingFlags.Instance))
        {
            if (property is { CanRead: true, CanWrite: true } && property.IsDefined(typeof(System.Text.Json.Serialization.JsonIgnoreAttribute), inherit: true))
            {
                property.SetValue(copy, property.GetValue(options));
            }
        }

        return copy;
    }
}
