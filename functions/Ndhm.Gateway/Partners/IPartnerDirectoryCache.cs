namespace Ndhm.Gateway.Partners;

/// <summary>Port: the partner directory's cache, told when this process changes a partner so the change applies at once here.</summary>
public interface IPartnerDirectoryCache
{
    void Invalidate(string clientId);
}
